// MsQuic's per-socket pattern [ref:clients] on the fake against what the kernel does for the
// same socket in the same run: the fake must stay far cheaper than real sockets, or tests that
// open sockets the way clients do would be better off on the real stack.
#include <benchmark/benchmark.h>
#include <portres/fake_socket_ioctl.h>

#include <sys/socket.h>
#include <unistd.h>

#include "bench_util.h"

namespace portres::bench {
namespace {

// WSASocketW (overlapped, UDP/IPv6), setsockopt(IPV6_V6ONLY 0), acquire one port, associate,
// bind [::]:port, closesocket: one QUIC socket's life on a long-lived fake.
void BM_Fake_QuicSocketPattern(benchmark::State& state) {
  FakeSocketIoctl fake;
  for (auto _ : state) {
    const SOCKET s =
        fake.WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    const int v6only = 0;
    fake.setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char*>(&v6only),
                    sizeof v6only);
    const ULONG64 token = Acquire(fake, s, kTargetPort, 1);
    INET_PORT_RESERVATION_TOKEN in{};
    in.Token = token;
    DWORD bytes = 0;
    fake.WSAIoctl(s, SIO_ASSOCIATE_PORT_RESERVATION, &in, sizeof in, nullptr, 0, &bytes, nullptr,
                  nullptr);
    sockaddr_in6 local{};
    local.sin6_family = AF_INET6;
    local.sin6_port = htons(kTargetPort);
    if (token == INVALID_PORT_RESERVATION_TOKEN ||
        fake.bind(s, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
      state.SkipWithError("the QUIC pattern failed on the fake");
      break;
    }
    fake.closesocket(s);
  }
}
BENCHMARK(BM_Fake_QuicSocketPattern);

// The kernel: socket + setsockopt + bind(127.0.0.1:0) + close, one UDP socket for real.
void BM_Kernel_SocketSetsockoptBindClose(benchmark::State& state) {
  sockaddr_in loopback{};
  loopback.sin_family = AF_INET;
  loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (auto _ : state) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    const int on = 1;
    if (fd < 0 ||
        ::setsockopt(fd, PORTRES_POSIX_SOL_SOCKET, PORTRES_POSIX_SO_REUSEADDR, &on, sizeof on) !=
            0 ||
        ::bind(fd, reinterpret_cast<const sockaddr*>(&loopback), sizeof loopback) != 0) {
      state.SkipWithError("socket/setsockopt/bind on 127.0.0.1 failed");
      if (fd >= 0) ::close(fd);
      break;
    }
    ::close(fd);
  }
}
BENCHMARK(BM_Kernel_SocketSetsockoptBindClose);

}  // namespace
}  // namespace portres::bench
