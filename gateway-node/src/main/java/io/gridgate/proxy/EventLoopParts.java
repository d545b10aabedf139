package io.gridgate.proxy;

import io.vertx.core.Vertx;

/** What the request path of one event loop owns: its deadline sweeper and its upstream connectors. */
record EventLoopParts(Vertx vertx, DeadlineSweeper deadlines, UpstreamClients clients) {}
