#include <portres/fake_host.h>

#include "host_state.h"

namespace portres {

// Emitted here, though C++17 makes it inline: a Windows DLL exports only what it emits, and a
// test that binds it to a reference (EXPECT_EQ) needs the DLL's copy.
constexpr std::uint32_t FakeHost::kSystemPid;

std::string_view ProtocolName(Protocol protocol) noexcept {
  return protocol == Protocol::kTcp ? "TCP" : "UDP";
}

FakeHost::FakeHost() : FakeHost(FakeHostOptions()) {}

FakeHost::FakeHost(const FakeHostOptions& options)
    : state_(std::make_unique<detail::HostState>(options)) {}

FakeHost::~FakeHost() = default;

const FakeHostOptions& FakeHost::options() const noexcept { return state_->options(); }

void FakeHost::Reboot() { state_->Reboot(); }

std::vector<ReservationInfo> FakeHost::Reservations() const {
  return state_->Reservations(std::nullopt);
}

std::vector<SocketInfo> FakeHost::Sockets() const { return state_->Sockets(std::nullopt); }

std::size_t FakeHost::ReservationCount() const { return state_->ReservationCount(); }

std::size_t FakeHost::SocketCount() const { return state_->SocketCount(); }

}  // namespace portres
