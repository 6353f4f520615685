// <portres/ip_helper.h>: the six iphlpapi functions for persistent port reservations, as an
// interface. Each method has the name and signature of the iphlpapi function it mirrors and
// returns its Win32 error code (NO_ERROR on success). StartPort is in network byte order, as
// in iphlpapi. Porting code means writing `helper.CreatePersistentTcpPortReservation(` where it
// wrote `::CreatePersistentTcpPortReservation(`.
#ifndef PORTRES_IP_HELPER_H
#define PORTRES_IP_HELPER_H

#include <portres/winsock.h>

namespace portres {

// iphlpapi's persistent port reservations. Implementations: FakeIpHelper (on a FakeHost) and,
// on Windows, WinsockIpHelper (iphlpapi itself).
class IIpHelper {
 public:
  virtual ~IIpHelper() = default;

  // The block survives reboots; its token may not [ref:iphlpapi-create]. Create and Delete need
  // an elevated administrator (ERROR_ACCESS_DENIED), Lookup does not [ref:field-answers].
  // Delete and Lookup name the block exactly as it was created: a sub-range is ERROR_NOT_FOUND
  // [ref:iphlpapi-lookup].
  virtual ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  virtual ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  virtual ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) = 0;
  virtual ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) = 0;
  virtual ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  virtual ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;

 protected:
  // Protected so that only implementations are constructed, copied and assigned: an
  // IIpHelper& is never sliced.
  IIpHelper() = default;
  IIpHelper(const IIpHelper&) = default;
  IIpHelper& operator=(const IIpHelper&) = default;
};

// IIpHelper's decorator base, as ForwardingSocketIoctl (<portres/socket_ioctl.h>) is
// ISocketIoctl's: every call goes, unchanged, to `target`, which must outlive it.
class ForwardingIpHelper : public IIpHelper {
 public:
  explicit ForwardingIpHelper(IIpHelper& target) noexcept : target_(&target) {}

  ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->CreatePersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
  }
  ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->CreatePersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
  }
  ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override {
    return target_->DeletePersistentTcpPortReservation(StartPort, NumberOfPorts);
  }
  ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override {
    return target_->DeletePersistentUdpPortReservation(StartPort, NumberOfPorts);
  }
  ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->LookupPersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
  }
  ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->LookupPersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
  }

 protected:
  IIpHelper& target() const noexcept { return *target_; }

 private:
  IIpHelper* target_;
};

}  // namespace portres

#endif  // PORTRES_IP_HELPER_H
