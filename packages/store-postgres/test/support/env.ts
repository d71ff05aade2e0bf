/** The URL of the throwaway PostgreSQL the CI tests use; a clear failure (never a skip) when unset. */
export function testPgUrl(): string {
  const url = process.env.MMSP_TEST_PG_URL;
  if (!url) {
    throw new Error(
      'MMSP_TEST_PG_URL is not set: these tests need a real PostgreSQL. Start one with\n' +
        '  export MMSP_TEST_PG_URL=$(packages/store-postgres/scripts/start-test-db.sh)\n' +
        '(needs PostgreSQL: apt-get install -y postgresql)',
    );
  }
  return url;
}
