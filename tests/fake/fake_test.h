// Shared set-up for the fake's own tests: a process on a host of its own, and the calls the
// tests make most, each returning the error it left (0: success).
#ifndef PORTRES_TESTS_FAKE_FAKE_TEST_H
#define PORTRES_TESTS_FAKE_FAKE_TEST_H

#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/winsock.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

namespace portres::testing_fake {

// The outcome of SIO_ACQUIRE_PORT_RESERVATION.
struct Acquired {
  int error = 0;
  DWORD bytes_returned = 0;
  INET_PORT_RESERVATION_INSTANCE instance{};
  std::uint16_t first_port() const { return ntohs(instance.Reservation.StartPort); }
  std::uint16_t port_count() const { return instance.Reservation.NumberOfPorts; }
  ULONG64 token() const { return instance.Token.Token; }
};

inline int ErrorOf(ISocketIoctl& api, int result) {
  return result == SOCKET_ERROR ? api.WSAGetLastError() : 0;
}

inline SOCKET OpenTcp(ISocketIoctl& api, int af = AF_INET) {
  return api.socket(af, SOCK_STREAM, IPPROTO_TCP);
}
inline SOCKET OpenUdp(ISocketIoctl& api, int af = AF_INET) {
  return api.socket(af, SOCK_DGRAM, IPPROTO_UDP);
}

// An output buffer that outlives the call: a pending call writes its output when the test
// completes it, long after Acquire() returned, and Windows requires the caller's buffer to
// live until then. Kept for the whole test program (a few bytes per overlapped call).
inline INET_PORT_RESERVATION_INSTANCE* LastingOutputBuffer() {
  static std::mutex mutex;
  static std::deque<INET_PORT_RESERVATION_INSTANCE> buffers;  // deque: elements never move
  std::lock_guard<std::mutex> lock(mutex);
  return &buffers.emplace_back();
}

// SIO_ACQUIRE_PORT_RESERVATION. With `overlapped`, the output goes to a lasting buffer (see
// above) and is copied into Acquired::instance when the call completed at once.
inline Acquired Acquire(ISocketIoctl& api, SOCKET s, std::uint16_t first, std::uint16_t count,
                        LPWSAOVERLAPPED overlapped = nullptr,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr) {
  INET_PORT_RANGE range{};
  range.StartPort = htons(first);
  range.NumberOfPorts = count;
  Acquired acquired;
  INET_PORT_RESERVATION_INSTANCE* output =
      overlapped == nullptr ? &acquired.instance : LastingOutputBuffer();
  acquired.error =
      ErrorOf(api, api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, output,
                                sizeof *output, &acquired.bytes_returned, overlapped, routine));
  acquired.instance = *output;
  return acquired;
}

inline int TokenIoctl(ISocketIoctl& api, SOCKET s, DWORD code, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN in{};
  in.Token = token;
  DWORD bytes = 0;
  return ErrorOf(api, api.WSAIoctl(s, code, &in, sizeof in, nullptr, 0, &bytes, nullptr, nullptr));
}
inline int Release(ISocketIoctl& api, SOCKET s, ULONG64 token) {
  return TokenIoctl(api, s, SIO_RELEASE_PORT_RESERVATION, token);
}
inline int Associate(ISocketIoctl& api, SOCKET s, ULONG64 token) {
  return TokenIoctl(api, s, SIO_ASSOCIATE_PORT_RESERVATION, token);
}

inline int Bind(ISocketIoctl& api, SOCKET s, std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  return ErrorOf(api, api.bind(s, reinterpret_cast<const sockaddr*>(&address),
                               static_cast<int>(sizeof address)));
}

inline std::uint16_t LocalPort(ISocketIoctl& api, SOCKET s) {
  sockaddr_in address{};
  int length = static_cast<int>(sizeof address);
  if (api.getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == SOCKET_ERROR) {
    return 0;
  }
  return ntohs(address.sin_port);
}

// What the host holds, comparable: a rejected call must leave it equal.
struct HostSnapshot {
  std::vector<std::tuple<int, int, int, int, ULONG64, SOCKET, std::uint32_t>> reservations;
  std::vector<std::tuple<SOCKET, std::uint32_t, int, int, int, bool, int, ULONG64>> sockets;
  friend bool operator==(const HostSnapshot& a, const HostSnapshot& b) {
    return a.reservations == b.reservations && a.sockets == b.sockets;
  }
};

inline HostSnapshot Snapshot(const FakeHost& host) {
  HostSnapshot snapshot;
  for (const ReservationInfo& r : host.Reservations()) {
    snapshot.reservations.emplace_back(static_cast<int>(r.protocol), static_cast<int>(r.kind),
                                       r.first_port, r.port_count, r.token, r.owner_socket,
                                       r.owner_pid);
  }
  for (const SocketInfo& s : host.Sockets()) {
    snapshot.sockets.emplace_back(s.handle, s.pid, s.af, s.type, s.protocol, s.bound, s.port,
                                  s.associated_token);
  }
  return snapshot;
}

// One process on a host of its own, with iphlpapi on the same host.
class FakeTest : public ::testing::Test {
 protected:
  explicit FakeTest(const FakeHostOptions& options = FakeHostOptions())
      : host_(std::make_shared<FakeHost>(options)), api_(host_), ip_helper_(host_) {}

  FakeHost& host() { return *host_; }
  const std::shared_ptr<FakeHost>& shared_host() { return host_; }
  FakeSocketIoctl& api() { return api_; }
  FakeIpHelper& ip_helper() { return ip_helper_; }

 private:
  std::shared_ptr<FakeHost> host_;
  FakeSocketIoctl api_;
  FakeIpHelper ip_helper_;
};

}  // namespace portres::testing_fake

#endif  // PORTRES_TESTS_FAKE_FAKE_TEST_H
