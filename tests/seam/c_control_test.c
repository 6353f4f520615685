/* The C control of <portres/seam.h>, from C11: create, install, faults, listing, processes,
 * host options, persistent reservations, and a fake destroyed while installed. */
#include <portres/seam.h>

#include "windows_code.h"

#include <stdio.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static void test_fail_next_call_and_listing(void) {
  portres_fake* fake = portres_fake_create();
  portres_socket sockets[2];
  USHORT granted;
  ULONG64 token;
  SOCKET s;
  portres_seam_install(fake);

  portres_fake_fail_next_call(fake, PORTRES_API_SOCKET, WSAEMFILE);
  CHECK(wc_socket(SOCK_DGRAM) == INVALID_SOCKET);
  CHECK(wc_last_error() == WSAEMFILE);
  s = wc_socket(SOCK_DGRAM);
  CHECK(s != INVALID_SOCKET);
  CHECK(portres_fake_sockets(fake, sockets, 2) == 1);
  CHECK(sockets[0].handle == s && sockets[0].type == SOCK_DGRAM && !sockets[0].bound);
  CHECK(portres_fake_sockets(fake, NULL, 0) == 1);

  portres_fake_fail_next_ioctl(fake, 0, WSAENETDOWN);
  CHECK(wc_acquire(s, 8, &granted, &token) == WSAENETDOWN);
  CHECK(portres_fake_reservation_count(fake) == 0);
  CHECK(wc_acquire(s, 8, &granted, &token) == 0);
  CHECK(portres_fake_reservation_count(fake) == 1);
  CHECK(portres_fake_call_count(fake) == 4);

  portres_fake_reboot(fake);
  CHECK(portres_fake_reservation_count(fake) == 0);
  CHECK(portres_fake_socket_count(fake) == 0);
  portres_seam_install(NULL);
  portres_fake_destroy(fake);
}

static void test_two_processes_share_one_host(void) {
  portres_fake* fake = portres_fake_create();
  portres_fake* other = portres_fake_open_process(fake, 0);
  portres_reservation reservations[2];
  USHORT granted;
  ULONG64 token;
  SOCKET s;
  portres_seam_install(other);
  s = wc_socket(SOCK_STREAM);
  CHECK(wc_acquire(s, 4, &granted, &token) == 0);
  CHECK(portres_fake_reservations(fake, reservations, 2) == 1);
  CHECK(reservations[0].owner_socket == s && !reservations[0].persistent);
  CHECK(reservations[0].protocol == IPPROTO_TCP);
  portres_seam_install(fake);
  CHECK(portres_fake_socket_count(fake) == 1);
  portres_seam_install(NULL);
  portres_fake_destroy(other); /* its socket closes, its block ends */
  CHECK(portres_fake_reservation_count(fake) == 0);
  portres_fake_destroy(fake);
}

static void test_host_options_and_persistent_reservations(void) {
  portres_fake_options options;
  portres_fake* fake;
  ULONG64 token = 0;
  portres_reservation reservation;
  portres_fake_options_init(&options);
  CHECK(options.dynamic_first_port == 49152 && options.elevated == 1);
  options.elevated = 0;
  fake = portres_fake_create_with(&options);
  /* Set up as administrator, whatever the process is. */
  CHECK(portres_fake_create_persistent_reservation(fake, IPPROTO_UDP, htons(40000), 5, &token) ==
        NO_ERROR);
  CHECK(portres_fake_create_persistent_reservation(fake, 99, htons(40000), 5, &token) ==
        ERROR_INVALID_PARAMETER);
  CHECK(portres_fake_reservations(fake, &reservation, 1) == 1);
  CHECK(reservation.persistent && reservation.first_port == 40000 &&
        reservation.protocol == IPPROTO_UDP);
  portres_seam_install(fake);
  /* The code under test runs as the standard user the options made. */
  CHECK(wc_create_persistent_tcp(41000, 5, &token) == ERROR_ACCESS_DENIED);
  portres_seam_install(NULL);
  portres_fake_destroy(fake);
}

/* A usage error made safe: the installed fake is destroyed; the seam is uninstalled (a line
 * on stderr says so) and the calls then fail as with none installed, without touching freed
 * memory (the ASan leg runs this). */
static void test_destroying_the_installed_fake_uninstalls_it(void) {
  portres_fake* fake = portres_fake_create();
  portres_seam_install(fake);
  portres_fake_destroy(fake);
#if !defined(_WIN32)
  CHECK(wc_socket(SOCK_STREAM) == INVALID_SOCKET);
  CHECK(wc_last_error() == WSANOTINITIALISED);
#endif
  portres_seam_install(NULL); /* nothing left to remove: harmless */
  portres_fake_destroy(NULL);
}

int main(void) {
  test_fail_next_call_and_listing();
  test_two_processes_share_one_host();
  test_host_options_and_persistent_reservations();
  test_destroying_the_installed_fake_uninstalls_it();
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  puts("portres seam C control: all checks passed");
  return 0;
}
