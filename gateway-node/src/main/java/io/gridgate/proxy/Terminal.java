package io.gridgate.proxy;

/**
 * What answers an exchange once every step let it through: the forwarder (or the WebSocket tunnel
 * for an upgrade), or the composer of a composed route. Chosen when the route is compiled.
 */
interface Terminal {
  void start(Exchange ex);
}
