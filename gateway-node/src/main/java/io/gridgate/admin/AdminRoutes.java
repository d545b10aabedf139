package io.gridgate.admin;

import io.vertx.ext.web.Router;

/** A group of admin API endpoints, mounted behind the admin token. */
public interface AdminRoutes {
  void mount(Router router);
}
