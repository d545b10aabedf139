package io.gridgate.proxy;

/**
 * Who sent a request: the connection's {@code peer}, whether it is a trusted proxy, and the client's
 * {@code address} (the trusted forwarded one behind such a proxy, else the peer).
 */
record ClientPeer(String peer, boolean trusted, String address) {}
