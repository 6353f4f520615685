// Leak checks: what a process holds, against what it held when the guard was created.
#include <portres/fake_ip_helper.h>
#include <portres/leak_check.h>
#include <portres/mock_ip_helper.h>
#include <portres/mock_socket_ioctl.h>

#include <algorithm>
#include <vector>

namespace portres {
namespace {

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::vector<ReservationInfo> PersistentOf(const FakeHost& host) {
  std::vector<ReservationInfo> persistent;
  for (const ReservationInfo& reservation : host.Reservations()) {
    if (reservation.kind == ReservationKind::kPersistent) persistent.push_back(reservation);
  }
  return persistent;
}

testing::AssertionResult NoLeaks(const Leaks& leaks) {
  if (leaks.empty()) return testing::AssertionSuccess() << "no leaks";
  return testing::AssertionFailure() << DescribeLeaks(leaks);
}

}  // namespace

Leaks LeaksOf(const MockSocketIoctl& mock) { return LeaksOf(mock.fake()); }
Leaks LeaksOf(const FakeIpHelper& helper) { return {PersistentOf(helper.host()), {}}; }

testing::AssertionResult HasNoLeaks(const FakeSocketIoctl& fake) { return NoLeaks(LeaksOf(fake)); }
testing::AssertionResult HasNoLeaks(const MockSocketIoctl& mock) { return HasNoLeaks(mock.fake()); }
testing::AssertionResult HasNoLeaks(const FakeIpHelper& helper) { return NoLeaks(LeaksOf(helper)); }
testing::AssertionResult HasNoLeaks(const MockIpHelper& mock) { return HasNoLeaks(mock.fake()); }

LeakCheck::LeakCheck(const FakeSocketIoctl& fake, const char* file, int line)
    : host_(fake.shared_host()), pid_(fake.pid()), file_(file), line_(line) {
  for (const ReservationInfo& reservation : fake.Reservations()) {
    tokens_before_.push_back(reservation.token);
  }
  for (const SocketInfo& socket : fake.Sockets()) sockets_before_.push_back(socket.handle);
}

LeakCheck::LeakCheck(const MockSocketIoctl& mock, const char* file, int line)
    : LeakCheck(mock.fake(), file, line) {}

LeakCheck::LeakCheck(const FakeIpHelper& helper, const char* file, int line)
    : host_(helper.shared_host()), pid_(0), file_(file), line_(line) {
  for (const ReservationInfo& reservation : PersistentOf(*host_)) {
    tokens_before_.push_back(reservation.token);
  }
}

LeakCheck::LeakCheck(const MockIpHelper& mock, const char* file, int line)
    : LeakCheck(mock.fake(), file, line) {}

LeakCheck::~LeakCheck() {
  const Leaks leaks = Find();
  if (!leaks.empty()) ADD_FAILURE_AT(file_, line_) << DescribeLeaks(leaks);
}

Leaks LeakCheck::Find() const {
  // Tokens and socket handles are never reused by a host, so "not there before" means "created
  // since the guard". A reboot gives persistent reservations new tokens: after one, a guard
  // over them counts every one as new.
  Leaks leaks;
  if (pid_ == 0) {
    for (const ReservationInfo& reservation : PersistentOf(*host_)) {
      if (!Contains(tokens_before_, reservation.token)) leaks.reservations.push_back(reservation);
    }
    return leaks;
  }
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
