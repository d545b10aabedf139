package io.gridgate.node;

import io.vertx.ext.web.Router;

/** A group of admin API endpoints, mounted behind the admin token. */
interface AdminRoutes {
  void mount(Router router);
}
