package io.gridgate.security;

import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;

/**
 * Links a proven identity to its registered consumer: the consumer it names, else the one its
 * subject (a JWT's {@code sub}) is mapped to ({@code jwt_subjects}), else the one whose id is its
 * subject; the consumer's groups join the identity's, for ACLs and rate-limit tiers.
 */
final class ConsumerGroupsPolicy implements RequestPolicy {
  private final ConsumerDirectory consumers;

  ConsumerGroupsPolicy(ConsumerDirectory consumers) {
    this.consumers = consumers;
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    Identity identity = context.identity();
    Consumer consumer = identity == null ? null
        : identity.consumer() != null ? consumers.byId(identity.consumer()) : bySubject(identity.subject());
    if (consumer != null) {
      Set<String> groups = new HashSet<>(identity.groups());
      groups.addAll(consumer.groups());
      context.identity(new Identity(consumer.id(), identity.subject(), groups, identity.scopes(), identity.roles(),
          identity.claims(), identity.credential()));
    }
    return Future.succeededFuture();
  }

  private Consumer bySubject(String subject) {
    Consumer mapped = consumers.bySubject(subject);
    return mapped != null ? mapped : consumers.byId(subject);
  }
}
