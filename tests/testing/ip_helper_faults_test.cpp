// Persistent reservations under faults: FakeIpHelper::Inject, its call log, and MockIpHelper.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/describe.h>
#include <portres/documented_errors.h>
#include <portres/fake_ip_helper.h>
#include <portres/matchers.h>
#include <portres/mock_ip_helper.h>

#include <memory>

namespace portres {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::NiceMock;

class IpHelperFaultsTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeHost> host_ = std::make_shared<FakeHost>();
  FakeIpHelper helper_{host_};
};

TEST_F(IpHelperFaultsTest, InjectedError_IsReturnedAndChangesNothing) {
  helper_.Inject(
      Fault::Error(ERROR_ACCESS_DENIED).When(IsApi(Api::kCreatePersistentTcpPortReservation)));
  ULONG64 token = 0;

  EXPECT_EQ(helper_.CreatePersistentTcpPortReservation(htons(5000), 20, &token),
            static_cast<ULONG>(ERROR_ACCESS_DENIED));
  EXPECT_EQ(token, 0u);
  EXPECT_THAT(host_->Reservations(), IsEmpty());
  // Another function passes by the fault.
  EXPECT_EQ(helper_.CreatePersistentUdpPortReservation(htons(5000), 20, &token), NO_ERROR);
}

TEST_F(IpHelperFaultsTest, OnCall_HitsThatCallOnly_AndClearFaultsDropsTheRest) {
  helper_.Inject(Fault::Error(ERROR_NOT_FOUND).OnCall(1));
  helper_.Inject(
      Fault::Error(ERROR_INVALID_PARAMETER).When(IsApi(Api::kDeletePersistentTcpPortReservation)));
  ULONG64 token = 0;
  ASSERT_EQ(helper_.CreatePersistentTcpPortReservation(htons(5000), 20, &token), NO_ERROR);
  EXPECT_EQ(helper_.LookupPersistentTcpPortReservation(htons(5000), 20, &token),
            static_cast<ULONG>(ERROR_NOT_FOUND));
  EXPECT_EQ(helper_.LookupPersistentTcpPortReservation(htons(5000), 20, &token), NO_ERROR);
  helper_.ClearFaults();
  EXPECT_EQ(helper_.DeletePersistentTcpPortReservation(htons(5000), 20), NO_ERROR);
}

TEST_F(IpHelperFaultsTest, CallLog_RecordsEachCallWithItsBlockCodeAndToken) {
  ULONG64 token = 0;
  ASSERT_EQ(helper_.CreatePersistentTcpPortReservation(htons(5000), 20, &token), NO_ERROR);
  helper_.Inject(Fault::Error(ERROR_ACCESS_DENIED).OnNextCall());
  helper_.DeletePersistentTcpPortReservation(htons(5000), 20);

  const std::vector<CallRecord> log = helper_.CallLog();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(helper_.CallCount(), 2u);
  EXPECT_EQ(log[0].call.api, Api::kCreatePersistentTcpPortReservation);
  EXPECT_EQ(log[0].first_port, 5000);
  EXPECT_EQ(log[0].port_count, 20);
  EXPECT_EQ(log[0].token, token);
  EXPECT_EQ(
      Describe(log[0]),
      "#0 CreatePersistentTcpPortReservation(5000..5019) -> NO_ERROR (0), " + DescribeToken(token));
  EXPECT_EQ(Describe(log[1]),
            "#1 DeletePersistentTcpPortReservation(5000..5019) -> ERROR_ACCESS_DENIED (5) "
            "[injected]");
  EXPECT_TRUE(log[1].injected);
}

TEST(IpHelperDocumentedErrors, ListTheTablesOfTheSixPages) {
  EXPECT_THAT(DocumentedErrors(Api::kCreatePersistentUdpPortReservation),
              ElementsAre(ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER, ERROR_SHARING_VIOLATION));
  EXPECT_THAT(DocumentedErrors(Api::kDeletePersistentTcpPortReservation),
              ElementsAre(ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER, ERROR_NOT_FOUND));
  EXPECT_THAT(DocumentedErrors(Api::kLookupPersistentUdpPortReservation),
              ElementsAre(ERROR_INVALID_PARAMETER, ERROR_NOT_FOUND));
  EXPECT_EQ(ApiName(Api::kLookupPersistentUdpPortReservation),
            "LookupPersistentUdpPortReservation");
}

TEST(MockIpHelper, FromConstruction_DelegatesToTheFake) {
  auto host = std::make_shared<FakeHost>();
  NiceMock<MockIpHelper> helper(host);
  ULONG64 token = 0;
  EXPECT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 20, &token), NO_ERROR);
  EXPECT_NE(token, 0u);
  EXPECT_THAT(host->Reservations(), ElementsAre(ReservationOf(Protocol::kTcp, 5000, 20)));
}

TEST(MockIpHelper, FailWith_FailsThatCallThroughTheFake_OthersDelegate) {
  auto host = std::make_shared<FakeHost>();
  NiceMock<MockIpHelper> helper(host);
  ULONG64 token = 0;
  ASSERT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 20, &token), NO_ERROR);
  EXPECT_CALL(helper, DeletePersistentTcpPortReservation(htons(5000), _))
      .WillOnce(helper.FailWith(ERROR_ACCESS_DENIED));
  helper.DelegateToFake();  // valid, and changes nothing

  EXPECT_EQ(helper.DeletePersistentTcpPortReservation(htons(5000), 20),
            static_cast<ULONG>(ERROR_ACCESS_DENIED));
  EXPECT_EQ(host->Reservations().size(), 1u);
  EXPECT_TRUE(helper.fake().CallLog().back().injected);
  // Not matched by the expectation: the fake answers.
  EXPECT_EQ(helper.DeletePersistentTcpPortReservation(htons(6000), 20),
            static_cast<ULONG>(ERROR_NOT_FOUND));
  EXPECT_EQ(helper.LookupPersistentTcpPortReservation(htons(5000), 20, &token), NO_ERROR);
}

TEST(MockIpHelper, CannedOnly_ReturnsGMockDefaults) {
  auto host = std::make_shared<FakeHost>();
  NiceMock<MockIpHelper> helper(host, kCannedOnly);
  ULONG64 token = 0;
  EXPECT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 20, &token), 0u);
  EXPECT_THAT(host->Reservations(), IsEmpty());
  helper.DelegateToFake();
  EXPECT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 20, &token), NO_ERROR);
  EXPECT_EQ(host->Reservations().size(), 1u);
}

}  // namespace
}  // namespace portres
