/* Windows code, unchanged, on the fake through portres::seam: the globals of winsock2.h reach
 * the fake that portres_seam_install() installed. */
#include <portres/seam.h>
#include <winsock2.h>

#include <stdio.h>

int main(void) {
  portres_fake* fake = portres_fake_create();
  SOCKET s;
  int failures = 0;
  portres_seam_install(fake);

  s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (s == INVALID_SOCKET || portres_fake_socket_count(fake) != 1) {
    fprintf(stderr, "socket() did not reach the fake\n");
    ++failures;
  }
  portres_fake_fail_next_call(fake, PORTRES_API_CLOSESOCKET, WSAENETDOWN);
  if (closesocket(s) != SOCKET_ERROR || WSAGetLastError() != WSAENETDOWN) {
    fprintf(stderr, "the injected closesocket error did not come back\n");
    ++failures;
  }
  if (closesocket(s) != 0 || portres_fake_socket_count(fake) != 0) {
    fprintf(stderr, "closesocket() did not close the fake's socket\n");
    ++failures;
  }

  portres_seam_install(NULL);
  portres_fake_destroy(fake);
  if (failures == 0) printf("seam consumer: Windows code ran on the fake\n");
  return failures == 0 ? 0 : 1;
}
