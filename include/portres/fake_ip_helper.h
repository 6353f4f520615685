// <portres/fake_ip_helper.h>: iphlpapi's persistent reservations on a simulated host.
//
//   auto host = std::make_shared<portres::FakeHost>();
//   portres::FakeIpHelper installer(host);
//   ULONG64 token = 0;
//   installer.CreatePersistentTcpPortReservation(htons(5000), 20, &token);  // NO_ERROR
//
// Persistent reservations belong to the host, not to a process: they outlive every view and
// survive FakeHost::Reboot(). Faults (<portres/fault.h>) and the call log belong to the view, as
// a FakeSocketIoctl's belong to its process:
//
//   installer.Inject(portres::Fault::Error(ERROR_ACCESS_DENIED)
//                        .When(portres::IsApi(portres::Api::kCreatePersistentTcpPortReservation)));
#ifndef PORTRES_FAKE_IP_HELPER_H
#define PORTRES_FAKE_IP_HELPER_H

#include <portres/call_log.h>
#include <portres/fake_export.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/ip_helper.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace portres {

// How a FakeIpHelper's simulated process runs.
struct FakeIpHelperOptions {
  // Run as an elevated administrator; Create* and Delete* answer ERROR_ACCESS_DENIED without.
  bool elevated = true;
};

// iphlpapi's persistent reservations on a FakeHost: IIpHelper's behaviour, as docs/fidelity.md
// describes it.
class PORTRES_FAKE_API FakeIpHelper final : public IIpHelper {
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

  ~FakeIpHelper() override;
  FakeIpHelper(const FakeIpHelper&) = delete;
  FakeIpHelper& operator=(const FakeIpHelper&) = delete;

  // Faults carry Win32 codes here, and calls are indexed from 0 for this view. Fault::Pend()
  // never hits: these calls do not pend.
  void Inject(Fault fault);
  // Drops the faults not used up yet.
  void ClearFaults();

  // This view's most recent calls (FakeHostOptions::call_log_capacity of them), oldest first.
  // first_port / port_count hold StartPort (host byte order) and NumberOfPorts; token the token
  // created or looked up; result and error the Win32 code returned.
  std::vector<CallRecord> CallLog() const;
  // How many calls this view has made in all, including those CallLog() no longer keeps.
  std::uint64_t CallCount() const;

  FakeHost& host() const noexcept { return *host_; }
  const std::shared_ptr<FakeHost>& shared_host() const noexcept { return host_; }

 private:
  struct State;
  template <typename F>
  ULONG Run(Api api, USHORT StartPort, USHORT NumberOfPorts, PULONG64 Token, F&& body);

  std::shared_ptr<FakeHost> host_;
  FakeIpHelperOptions options_;
  std::unique_ptr<State> state_;
};

// Whether `api` is one of IIpHelper's functions (their codes are Win32's, not Winsock's).
constexpr bool IsIpHelperApi(Api api) noexcept {
  return api >= Api::kCreatePersistentTcpPortReservation &&
         api <= Api::kLookupPersistentUdpPortReservation;
}

}  // namespace portres

#endif  // PORTRES_FAKE_IP_HELPER_H
