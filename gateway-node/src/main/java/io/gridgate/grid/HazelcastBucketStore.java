package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.gridgate.ratelimit.BucketRule;
import io.gridgate.ratelimit.BucketStore;
import io.gridgate.ratelimit.Grant;
import io.gridgate.ratelimit.PermitRequest;
import io.vertx.core.Future;

/** Rate-limit buckets in a Hazelcast IMap (with a backup), changed only by entry processors on each key's owner. */
public final class HazelcastBucketStore implements BucketStore {
  private final GridCalls calls;
  private final IMap<String, long[]> buckets;

  public HazelcastBucketStore(GridCalls calls, HazelcastInstance hazelcast) {
    this.calls = calls;
    this.buckets = hazelcast.getMap(GridNames.RATE_LIMIT_BUCKETS);
  }

  @Override
  public Future<Grant> take(String key, BucketRule rule, PermitRequest request) {
    return submit("ratelimit_take", key, new TakePermits(rule, request)).map(Grant::of);
  }

  @Override
  public Future<Void> giveBack(String key, BucketRule rule, long epoch, long permits) {
    return submit("ratelimit_give_back", key, new GiveBackPermits(rule, epoch, permits)).mapEmpty();
  }

  /** Runs {@code processor} on the key's owner; a member that is shutting down fails the future instead of throwing. */
  private Future<long[]> submit(String operation, String key, EntryProcessor<String, long[], long[]> processor) {
    try {
      return calls.await(operation, buckets.submitToKey(key, processor));
    } catch (RuntimeException notActive) {
      return Future.failedFuture(notActive);
    }
  }
}
