// How a call of an iphlpapi function reads in a call log: its block, and the Win32 code it
// returned ("#0 CreatePersistentTcpPortReservation(5000..5019) -> NO_ERROR, token 0x2a").
#ifndef PORTRES_FAKE_IP_HELPER_DESCRIBE_H
#define PORTRES_FAKE_IP_HELPER_DESCRIBE_H

#include <portres/call_log.h>
#include <portres/fault.h>

#include <string>

namespace portres {

std::string DescribeIpHelperCall(const Call& call, const CallRecord* record);

}  // namespace portres

#endif  // PORTRES_FAKE_IP_HELPER_DESCRIBE_H
