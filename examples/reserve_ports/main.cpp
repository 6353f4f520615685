// reserve_ports <address family> <type> <protocol> <start port> <port count>
//
// Acquires a runtime reservation for a block of ports and releases it again. On Windows it uses
// the real Winsock backend (pass --fake to use the in-memory fake); elsewhere, the fake.
//   reserve_ports 2 2 17 5000 20     (AF_INET, SOCK_DGRAM, IPPROTO_UDP, ports 5000..5019)
#include <portres/fake_socket_ioctl.h>
#if defined(_WIN32) && defined(PORTRES_HAS_WINSOCK_BACKEND)
#include <portres/winsock_socket_ioctl.h>
#endif

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>

#include "reserve_ports.h"

int main(int argc, char** argv) {
  bool use_fake = true;
#if defined(_WIN32) && defined(PORTRES_HAS_WINSOCK_BACKEND)
  use_fake = false;
#endif
  if (argc > 1 && std::strcmp(argv[1], "--fake") == 0) {
    use_fake = true;
    --argc;
    ++argv;
  }
  if (argc != 6) {
    std::cerr << "usage: reserve_ports [--fake] <address family> <type> <protocol> "
                 "<start port> <port count>\n"
                 "  e.g. reserve_ports "
              << AF_INET << ' ' << SOCK_DGRAM << ' ' << IPPROTO_UDP
              << " 5000 20   (AF_INET, SOCK_DGRAM, IPPROTO_UDP, ports 5000..5019)\n";
    return 1;
  }
  example::ReservePortsArgs args;
  args.address_family = std::atoi(argv[1]);
  args.type = std::atoi(argv[2]);
  args.protocol = std::atoi(argv[3]);
  args.start_port = std::atoi(argv[4]);
  args.port_count = std::atoi(argv[5]);

  std::unique_ptr<portres::ISocketIoctl> api;
#if defined(_WIN32) && defined(PORTRES_HAS_WINSOCK_BACKEND)
  if (!use_fake) api = std::make_unique<portres::WinsockSocketIoctl>();
#endif
  if (!api) api = std::make_unique<portres::FakeSocketIoctl>();
  std::cout << "backend: " << (use_fake ? "portres fake" : "Windows") << "\n";
  return example::ReservePorts(*api, args, std::cout);
}
