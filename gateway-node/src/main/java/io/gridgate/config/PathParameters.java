package io.gridgate.config;

/**
 * What a route does with {@code ;} path parameters ({@code /app/admin;jsessionid=x}): routes are
 * always matched on the path without them (as most backends read it); then the request is refused
 * with 400 ({@code REJECT}, the default), forwarded without them ({@code STRIP}) or forwarded as sent
 * ({@code KEEP}).
 */
public enum PathParameters { REJECT, STRIP, KEEP }
