/** The URL of the throwaway Redis the CI tests use; a clear failure (never a skip) when unset. */
export function testRedisUrl(): string {
  const url = process.env.MMSP_TEST_REDIS_URL;
  if (!url) {
    throw new Error(
      'MMSP_TEST_REDIS_URL is not set: these tests need a real Redis. Start one with\n' +
        '  export MMSP_TEST_REDIS_URL=$(packages/store-redis/scripts/start-test-redis.sh)\n' +
        '(needs redis-server: apt-get install -y redis-server)',
    );
  }
  return url;
}
