package io.gridgate.security;

import io.vertx.core.Future;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Makes the client certificate the listener verified (mTLS) the request's {@link Identity}: the
 * consumer is the subject's CN, the subject the full DN. Requests without one pass unchanged.
 */
final class ClientCertificate implements RequestPolicy {
  private static final Future<Refusal> CONTINUE = Future.succeededFuture();

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    SSLSession session = context.request().sslSession();
    if (session == null) {
      return CONTINUE;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        String subject = leaf.getSubjectX500Principal().getName();
        context.identity(new Identity(commonName(subject), subject, Set.of(), Set.of(), Set.of(), null,
            Identity.Credential.CLIENT_CERTIFICATE));
      }
    } catch (SSLPeerUnverifiedException noCertificate) {
      // client_auth: request and the client sent none
    }
    return CONTINUE;
  }

  /** The subject's (last) CN, or null when the DN has none. */
  static String commonName(String distinguishedName) {
    try {
      String cn = null;
      for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          cn = String.valueOf(rdn.getValue());
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
