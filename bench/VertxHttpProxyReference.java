import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;

/**
 * The reference point for "vertx-http-proxy or our own forwarder, whichever measures faster":
 * a bare vertx-http-proxy 5.0.7 reverse proxy on one event loop with the same upstream pool size
 * as the gateway's bench config. Run by proxy-vs-nginx.sh as a single-file program:
 * {@code java -cp gateway-node.jar:vertx-http-proxy.jar VertxHttpProxyReference.java PORT UPSTREAM_PORT}.
 */
public class VertxHttpProxyReference {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(64));
    HttpProxy proxy = HttpProxy.reverseProxy(client).origin(upstreamPort, "127.0.0.1");
    vertx.createHttpServer().requestHandler(proxy).listen(port, "127.0.0.1")
        .onSuccess(s -> System.out.println("vertx-http-proxy reference on 127.0.0.1:" + port))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }
}
