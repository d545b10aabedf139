package io.gridgate.grid;

import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where the cluster's consumers live: {@link LocalConsumerStore} for one node or
 * {@link HazelcastConsumerStore} shared by the cluster. Every node keeps a {@link ConsumerDirectory}
 * replica of it.
 */
public interface ConsumerStore {

  /**
   * Changes consumer {@code id} atomically: {@code change} gets the current consumer (null when
   * none) and answers the new one (null deletes it); the future holds the new one.
   */
  Future<Consumer> change(String id, UnaryOperator<Consumer> change);

  Future<Consumer> get(String id);

  Future<List<Consumer>> list();

  /** Fills {@code directory} with what is stored now and keeps it up to date; completes once what is stored now is in it. */
  Future<Void> feed(ConsumerDirectory directory);
}
