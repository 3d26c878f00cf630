/** A worker module for the pool's tests: its thread ends as soon as it starts, as a crash would. */
process.exit(0);
