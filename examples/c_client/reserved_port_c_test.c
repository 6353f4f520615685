/* reserved_port's tests in C, on the fake, with portres's C control: a plain main() as a
 * cmocka or Unity suite would have. Exit status 0 when every check passes. */
#include <portres/seam.h>

#include "reserved_port.h"

#include <stdio.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static void test_open_binds_inside_the_block_and_close_leaves_nothing(void) {
  portres_fake* fake = portres_fake_create();
  rp_endpoint endpoint;
  portres_reservation reservations[4];
  portres_seam_install(fake);

  CHECK(rp_startup() == 0);
  CHECK(rp_open(8, &endpoint) == 0);
  CHECK(portres_fake_reservation_count(fake) == 1);
  CHECK(portres_fake_socket_count(fake) == 2);
  CHECK(portres_fake_reservations(fake, reservations, 4) == 1);
  CHECK(reservations[0].port_count == 8);
  CHECK(reservations[0].owner_socket == endpoint.owner);
  CHECK(endpoint.port >= reservations[0].first_port);
  CHECK(endpoint.port < reservations[0].first_port + 8);
  CHECK(rp_close(&endpoint) == 0);
  CHECK(portres_fake_reservation_count(fake) == 0);
  CHECK(portres_fake_socket_count(fake) == 0);
  rp_cleanup();

  portres_seam_install(NULL);
  portres_fake_destroy(fake);
}

static void test_a_failed_associate_is_reported_and_leaves_nothing(void) {
  portres_fake* fake = portres_fake_create();
  rp_endpoint endpoint;
  portres_seam_install(fake);

  portres_fake_fail_next_ioctl(fake, SIO_ASSOCIATE_PORT_RESERVATION, WSAENOBUFS);
  CHECK(rp_open(8, &endpoint) == WSAENOBUFS);
  CHECK(portres_fake_reservation_count(fake) == 0);
  CHECK(portres_fake_socket_count(fake) == 0);

  portres_seam_install(NULL);
  portres_fake_destroy(fake);
}

/* Every call rp_open makes, failed in turn: each failure is reported and leaves nothing. */
static void test_every_call_of_open_failing_leaves_nothing(void) {
  unsigned long long calls;
  unsigned long long i;
  rp_endpoint endpoint;
  portres_fake* fake = portres_fake_create();
  portres_seam_install(fake);
  CHECK(rp_open(4, &endpoint) == 0);
  calls = portres_fake_call_count(fake);
  CHECK(rp_close(&endpoint) == 0);
  portres_seam_install(NULL);
  portres_fake_destroy(fake);

  for (i = 0; i < calls; ++i) {
    fake = portres_fake_create();
    portres_seam_install(fake);
    portres_fake_fail_call(fake, i, WSAENETDOWN);
    CHECK(rp_open(4, &endpoint) == WSAENETDOWN);
    CHECK(portres_fake_reservation_count(fake) == 0);
    CHECK(portres_fake_socket_count(fake) == 0);
    portres_seam_install(NULL);
    portres_fake_destroy(fake);
  }
}

static void test_another_process_holding_the_block_makes_persist_fail(void) {
  portres_fake* fake = portres_fake_create();
  portres_fake* other = portres_fake_open_process(fake, 1);
  ULONG64 theirs = 0;
  ULONG64 ours = 0;
  /* A persistent block made beforehand by an administrator, not by this program. */
  CHECK(portres_fake_create_persistent_reservation(fake, IPPROTO_TCP, htons(50000), 10, &theirs) ==
        NO_ERROR);
  portres_seam_install(other);
  /* Lookup finds it, so rp_persist takes it for its own: what the code does, pinned. */
  CHECK(rp_persist(50000, 10, &ours) == NO_ERROR);
  CHECK(ours == theirs);
  CHECK(rp_persist(50005, 10, &ours) == ERROR_SHARING_VIOLATION);
  CHECK(rp_unpersist(50000, 10) == NO_ERROR);
  CHECK(portres_fake_reservation_count(fake) == 0);
  portres_seam_install(NULL);
  portres_fake_destroy(other);
  portres_fake_destroy(fake);
}

static void test_persist_as_a_standard_user_is_access_denied(void) {
  portres_fake_options options;
  portres_fake* fake;
  ULONG64 token = 0;
  portres_fake_options_init(&options);
  options.elevated = 0;
  fake = portres_fake_create_with(&options);
  portres_seam_install(fake);
  CHECK(rp_persist(50000, 10, &token) == ERROR_ACCESS_DENIED);
  portres_seam_install(NULL);
  portres_fake_destroy(fake);
}

int main(void) {
  test_open_binds_inside_the_block_and_close_leaves_nothing();
  test_a_failed_associate_is_reported_and_leaves_nothing();
  test_every_call_of_open_failing_leaves_nothing();
  test_another_process_holding_the_block_makes_persist_fail();
  test_persist_as_a_standard_user_is_access_denied();
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  puts("reserved_port C tests: all checks passed");
  return 0;
}
