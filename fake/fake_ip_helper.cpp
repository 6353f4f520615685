#include <portres/fake_ip_helper.h>

#include <utility>

#include "host_state.h"

namespace portres {

FakeIpHelper::FakeIpHelper(std::shared_ptr<FakeHost> host, const FakeIpHelperOptions& options)
    : host_(std::move(host)), options_(options) {}

// StartPort arrives in network byte order, as iphlpapi takes it.
ULONG FakeIpHelper::CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return host_->state_->CreatePersistent(Protocol::kTcp, options_.elevated, ntohs(StartPort),
                                         NumberOfPorts, Token);
}

ULONG FakeIpHelper::CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return host_->state_->CreatePersistent(Protocol::kUdp, options_.elevated, ntohs(StartPort),
                                         NumberOfPorts, Token);
}

ULONG FakeIpHelper::DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return host_->state_->DeletePersistent(Protocol::kTcp, options_.elevated, ntohs(StartPort),
                                         NumberOfPorts);
}

ULONG FakeIpHelper::DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return host_->state_->DeletePersistent(Protocol::kUdp, options_.elevated, ntohs(StartPort),
                                         NumberOfPorts);
}

ULONG FakeIpHelper::LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return host_->state_->LookupPersistent(Protocol::kTcp, ntohs(StartPort), NumberOfPorts, Token);
}

ULONG FakeIpHelper::LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return host_->state_->LookupPersistent(Protocol::kUdp, ntohs(StartPort), NumberOfPorts, Token);
}

}  // namespace portres
