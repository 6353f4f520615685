// A fault sweep of a 10-call scenario with every documented error (issue 5 target: well under a
// second). Built only once <portres/fault_sweep.h> exists.
#if __has_include(<portres/fault_sweep.h>)
#define PORTRES_BENCH_HAVE_SWEEP 1
#endif
