// MockIpHelper's out-of-line members.
#include <portres/mock_ip_helper.h>

#include <memory>
#include <utility>

namespace portres {
namespace detail {
namespace {
thread_local Api in_flight = Api::kCreatePersistentTcpPortReservation;
}  // namespace

Api IpHelperCallInFlight() noexcept { return in_flight; }

IpHelperCallScope::IpHelperCallScope(Api api) noexcept : previous_(in_flight) { in_flight = api; }
IpHelperCallScope::~IpHelperCallScope() { in_flight = previous_; }

ULONG ForwardIpHelperCall(FakeIpHelper& fake, Api api, USHORT StartPort, USHORT NumberOfPorts,
                          PULONG64 Token) {
  switch (api) {
    case Api::kCreatePersistentTcpPortReservation:
      return fake.CreatePersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
    case Api::kCreatePersistentUdpPortReservation:
      return fake.CreatePersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
    case Api::kDeletePersistentTcpPortReservation:
      return fake.DeletePersistentTcpPortReservation(StartPort, NumberOfPorts);
    case Api::kDeletePersistentUdpPortReservation:
      return fake.DeletePersistentUdpPortReservation(StartPort, NumberOfPorts);
    case Api::kLookupPersistentTcpPortReservation:
      return fake.LookupPersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
    case Api::kLookupPersistentUdpPortReservation:
      return fake.LookupPersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
    default:
      return ERROR_INVALID_PARAMETER;
  }
}

}  // namespace detail

MockIpHelper::MockIpHelper(std::shared_ptr<FakeHost> host, const FakeIpHelperOptions& options)
    : fake_(std::move(host), options), routing_(false) {}
MockIpHelper::MockIpHelper(std::shared_ptr<FakeHost> host, CannedOnly)
    : fake_(std::move(host)), routing_(true) {}
MockIpHelper::~MockIpHelper() = default;

void MockIpHelper::Delegate(unsigned method, bool catch_all) {
  using ::testing::AnyNumber;
  using ::testing::Invoke;
  Base& m = *this;  // gMock's own entry points: they leave the routing alone
  FakeIpHelper* fake = &fake_;
#define PORTRES_DELEGATE_(index, name)                                 \
  case index:                                                          \
    ON_CALL(m, name).WillByDefault(Invoke(fake, &FakeIpHelper::name)); \
    if (catch_all) EXPECT_CALL(m, name).Times(AnyNumber());            \
    break
  switch (method) {
    PORTRES_DELEGATE_(0, CreatePersistentTcpPortReservation);
    PORTRES_DELEGATE_(1, CreatePersistentUdpPortReservation);
    PORTRES_DELEGATE_(2, DeletePersistentTcpPortReservation);
    PORTRES_DELEGATE_(3, DeletePersistentUdpPortReservation);
    PORTRES_DELEGATE_(4, LookupPersistentTcpPortReservation);
    PORTRES_DELEGATE_(5, LookupPersistentUdpPortReservation);
    default:
      break;
  }
#undef PORTRES_DELEGATE_
}

MockIpHelper& MockIpHelper::DelegateToFake() {
  routing_.StopCanning(kMethodCount,
                       [this](unsigned method, bool catch_all) { Delegate(method, catch_all); });
  return *this;
}

}  // namespace portres
