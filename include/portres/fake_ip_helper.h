// <portres/fake_ip_helper.h>: iphlpapi's persistent reservations on a simulated host.
//
//   auto host = std::make_shared<portres::FakeHost>();
//   portres::FakeIpHelper installer(host);
//   ULONG64 token = 0;
//   installer.CreatePersistentTcpPortReservation(htons(5000), 20, &token);  // NO_ERROR
//
// Persistent reservations belong to the host, not to a process: they outlive every view and
// survive FakeHost::Reboot().
#ifndef PORTRES_FAKE_IP_HELPER_H
#define PORTRES_FAKE_IP_HELPER_H

#include <portres/fake_host.h>
#include <portres/ip_helper.h>

#include <memory>

namespace portres {

// How a FakeIpHelper's simulated process runs.
struct FakeIpHelperOptions {
  // Run as an elevated administrator; Create* and Delete* answer ERROR_ACCESS_DENIED without.
  bool elevated = true;
};

// iphlpapi's persistent reservations on a FakeHost: IIpHelper's behaviour, as docs/fidelity.md
// describes it.
class FakeIpHelper final : public IIpHelper {
 public:
  // A view on `host`, which persistent reservations are made on.
  explicit FakeIpHelper(std::shared_ptr<FakeHost> host,
                        const FakeIpHelperOptions& options = FakeIpHelperOptions());

  ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;
  ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;
  ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override;
  ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override;
  ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;
  ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;

  // The machine the reservations are made on.
  FakeHost& host() const noexcept { return *host_; }

 private:
  std::shared_ptr<FakeHost> host_;
  FakeIpHelperOptions options_;
};

}  // namespace portres

#endif  // PORTRES_FAKE_IP_HELPER_H
