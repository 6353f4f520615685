// Leak checks: what a process holds, against what it held when the guard was created.
#include <portres/describe.h>
#include <portres/leak_check.h>

#include <algorithm>

namespace portres {
namespace {

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// A leaked reservation: its owner is this process, so the pid is left out.
std::string DescribeLeakedReservation(const ReservationInfo& reservation) {
  std::string text = std::string(ProtocolName(reservation.protocol)) + " " +
                     DescribePorts(reservation.first_port, reservation.port_count) + " " +
                     DescribeToken(reservation.token) + " (" + Describe(reservation.kind);
  if (reservation.kind == ReservationKind::kRuntime) {
    text += ", socket " + DescribeSocketHandle(reservation.owner_socket);
  }
  return text + ")";
}

std::string DescribeUnclosedSocket(const SocketInfo& socket) {
  std::string text = "socket " + DescribeSocketHandle(socket.handle) + " (" +
                     DescribeSocketKind(socket.af, socket.type, socket.protocol);
  if (socket.bound) text += ", port " + std::to_string(socket.port);
  return text + ") never closed";
}

}  // namespace

Leaks LeaksOf(const FakeSocketIoctl& fake) { return {fake.Reservations(), fake.Sockets()}; }

std::string DescribeLeaks(const Leaks& leaks) {
  if (leaks.empty()) return "no leaks";
  std::string text = "leaked: ";
  bool first = true;
  auto add = [&](const std::string& part) {
    if (!first) text += "; ";
    text += part;
    first = false;
  };
  for (const ReservationInfo& reservation : leaks.reservations) {
    add(DescribeLeakedReservation(reservation));
  }
  for (const SocketInfo& socket : leaks.sockets) add(DescribeUnclosedSocket(socket));
  return text;
}

testing::AssertionResult HasNoLeaks(const FakeSocketIoctl& fake) {
  const Leaks leaks = LeaksOf(fake);
  if (leaks.empty()) return testing::AssertionSuccess() << "no leaks";
  return testing::AssertionFailure() << DescribeLeaks(leaks);
}

LeakCheck::LeakCheck(const FakeSocketIoctl& fake, const char* file, int line)
    : host_(fake.shared_host()), pid_(fake.pid()), file_(file), line_(line) {
  for (const ReservationInfo& reservation : fake.Reservations()) {
    tokens_before_.push_back(reservation.token);
  }
  for (const SocketInfo& socket : fake.Sockets()) sockets_before_.push_back(socket.handle);
}

LeakCheck::~LeakCheck() {
  const Leaks leaks = Find();
  if (!leaks.empty()) ADD_FAILURE_AT(file_, line_) << DescribeLeaks(leaks);
}

Leaks LeakCheck::Find() const {
  // Tokens and socket handles are never reused by a host, so "not there before" means "created
  // since the guard".
  Leaks leaks;
  for (const ReservationInfo& reservation : host_->Reservations()) {
    if (reservation.kind == ReservationKind::kRuntime && reservation.owner_pid == pid_ &&
        !Contains(tokens_before_, reservation.token)) {
      leaks.reservations.push_back(reservation);
    }
  }
  for (const SocketInfo& socket : host_->Sockets()) {
    if (socket.pid == pid_ && !Contains(sockets_before_, socket.handle)) {
      leaks.sockets.push_back(socket);
    }
  }
  return leaks;
}

}  // namespace portres
