#include <portres/fake_ip_helper.h>

#include <portres/describe.h>
#include <portres/winsock_error.h>

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>

#include "fault_set.h"
#include "host_state.h"
#include "ip_helper_describe.h"

namespace portres {

// The view's own faults and log, under a lock of their own: the host's lock is taken by the
// rule inside, never while this one is waited for by the host.
struct FakeIpHelper::State {
  explicit State(const FakeHostOptions& options)
      : faults(options.seed ^ 0x6970686c70617069ULL),  // "iphlpapi": apart from the processes'
        capacity(options.call_log_capacity) {}

  mutable std::mutex mutex;
  FaultSet faults;
  std::size_t capacity;
  std::vector<CallRecord> log;  // a ring of `capacity` records once full
  std::size_t log_next = 0;
  std::uint64_t call_count = 0;
};

FakeIpHelper::FakeIpHelper(std::shared_ptr<FakeHost> host, const FakeIpHelperOptions& options)
    : host_(std::move(host)),
      options_(options),
      state_(std::make_unique<State>(host_->options())) {}

FakeIpHelper::~FakeIpHelper() = default;

void FakeIpHelper::Inject(Fault fault) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->faults.Add(std::move(fault));
}

void FakeIpHelper::ClearFaults() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->faults.Clear();
}

std::vector<CallRecord> FakeIpHelper::CallLog() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<CallRecord> log(state_->log.begin() + static_cast<std::ptrdiff_t>(state_->log_next),
                              state_->log.end());
  log.insert(log.end(), state_->log.begin(),
             state_->log.begin() + static_cast<std::ptrdiff_t>(state_->log_next));
  return log;
}

std::uint64_t FakeIpHelper::CallCount() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->call_count;
}

// One call: the fault that hits it, if any, answers instead of the rule; either way the call
// is logged with what it returned.
template <typename F>
ULONG FakeIpHelper::Run(Api api, USHORT StartPort, USHORT NumberOfPorts, PULONG64 Token, F&& body) {
  Call call;
  call.api = api;
  std::optional<FaultSet::Hit> hit;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    call.index = state_->call_count++;
    hit = state_->faults.Take(call);
  }
  CallRecord record;
  const ULONG result = hit ? static_cast<ULONG>(hit->error) : body();
  record.call = call;
  record.result = static_cast<int>(result);
  record.error = static_cast<int>(result);
  record.injected = hit.has_value();
  record.arguments_read = true;
  record.first_port = ntohs(StartPort);
  record.port_count = NumberOfPorts;
  if (result == NO_ERROR && Token != nullptr) record.token = *Token;
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->capacity == 0) return result;
  if (state_->log.size() < state_->capacity) {
    state_->log.push_back(record);
  } else {
    state_->log[state_->log_next] = record;
    state_->log_next = (state_->log_next + 1) % state_->capacity;
  }
  return result;
}

std::string DescribeIpHelperCall(const Call& call, const CallRecord* record) {
  std::string text = "#" + std::to_string(call.index) + " " + std::string(ApiName(call.api)) + "(";
  if (record == nullptr) return text + ")";
  text += DescribePorts(record->first_port, record->port_count) + ") -> " +
          DescribeWin32Error(static_cast<unsigned long>(record->result));
  if (record->result == NO_ERROR && record->token != 0) text += ", " + DescribeToken(record->token);
  if (record->injected) text += " [injected]";
  return text;
}

// StartPort arrives in network byte order, as iphlpapi takes it.
ULONG FakeIpHelper::CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return Run(Api::kCreatePersistentTcpPortReservation, StartPort, NumberOfPorts, Token, [&] {
    return host_->state_->CreatePersistent(Protocol::kTcp, options_.elevated, ntohs(StartPort),
                                           NumberOfPorts, Token);
  });
}

ULONG FakeIpHelper::CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return Run(Api::kCreatePersistentUdpPortReservation, StartPort, NumberOfPorts, Token, [&] {
    return host_->state_->CreatePersistent(Protocol::kUdp, options_.elevated, ntohs(StartPort),
                                           NumberOfPorts, Token);
  });
}

ULONG FakeIpHelper::DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return Run(Api::kDeletePersistentTcpPortReservation, StartPort, NumberOfPorts, nullptr, [&] {
    return host_->state_->DeletePersistent(Protocol::kTcp, options_.elevated, ntohs(StartPort),
                                           NumberOfPorts);
  });
}

ULONG FakeIpHelper::DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return Run(Api::kDeletePersistentUdpPortReservation, StartPort, NumberOfPorts, nullptr, [&] {
    return host_->state_->DeletePersistent(Protocol::kUdp, options_.elevated, ntohs(StartPort),
                                           NumberOfPorts);
  });
}

ULONG FakeIpHelper::LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return Run(Api::kLookupPersistentTcpPortReservation, StartPort, NumberOfPorts, Token, [&] {
    return host_->state_->LookupPersistent(Protocol::kTcp, ntohs(StartPort), NumberOfPorts, Token);
  });
}

ULONG FakeIpHelper::LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                       PULONG64 Token) {
  return Run(Api::kLookupPersistentUdpPortReservation, StartPort, NumberOfPorts, Token, [&] {
    return host_->state_->LookupPersistent(Protocol::kUdp, ntohs(StartPort), NumberOfPorts, Token);
  });
}

}  // namespace portres
