package io.gridgate.config;

/**
 * Reads a document's secret fields ({@link SecretFields}): a literal value or a reference resolved
 * on this node. Without a resolver (tools that only check or compare documents) values stay as
 * written and cannot be checked.
 */
final class Secrets {
  /** Keeps references and the {@value SecretFields#REDACTED} placeholder as written. */
  static final Secrets AS_WRITTEN = new Secrets(null);

  private final SecretResolver resolver;

  Secrets(SecretResolver resolver) {
    this.resolver = resolver;
  }

  /** A secret field's value, and whether it is the secret itself (so that it can be checked) rather than its written form. */
  record Secret(String value, boolean known) {}

  /** The field's secret; null when it is missing or wrong (the error is reported). */
  Secret read(ConfigNode n) {
    String written = n.string(null);
    if (written == null) {
      return null;
    }
    SecretReference reference;
    try {
      reference = SecretReference.parse(written);
    } catch (IllegalArgumentException e) {
      n.error(e.getMessage());
      return null;
    }
    if (resolver == null) {
      return new Secret(written, reference == null && !SecretFields.REDACTED.equals(written));
    }
    if (reference == null) {
      if (SecretFields.REDACTED.equals(written)) {
        n.error("is '" + SecretFields.REDACTED + "', the admin API's stand-in for a literal secret: write the secret,"
            + " or a ${env:NAME} or ${file:/path} reference, instead");
        return null;
      }
      return new Secret(written, true);
    }
    try {
      return new Secret(resolver.resolve(reference), true);
    } catch (IllegalArgumentException e) {
      n.error(reference + ": " + e.getMessage());
      return null;
    }
  }

  /** The value of a field that must be given and not blank; null after reporting why it is not usable. */
  String requiredValue(ConfigNode n) {
    if (n.isMissing()) {
      n.error("is required");
      return null;
    }
    Secret secret = read(n);
    if (secret != null && secret.value().isBlank()) {
      n.error("must not be empty");
      return null;
    }
    return secret == null ? null : secret.value();
  }
}
