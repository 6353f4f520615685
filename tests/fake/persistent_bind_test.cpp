// FakeHostOptions::persistent_blocks_allow_explicit_bind: whether an explicit bind() into a
// persistent block succeeds. Reports disagree [ref:field-answers]: msquic #2891 and others saw
// it succeed (the default); MsQuic's docs/CIBIR.md says such a block forbids binds from sockets
// not associated with it (the option off).
#include "fake_test.h"

namespace portres::testing_fake {
namespace {

constexpr std::uint16_t kFirst = 50000;
constexpr std::uint16_t kCount = 10;

FakeHostOptions ExplicitBind(bool allowed) {
  FakeHostOptions options;
  options.persistent_blocks_allow_explicit_bind = allowed;
  return options;
}

class PersistentExplicitBind : public FakeTest {
 protected:
  explicit PersistentExplicitBind(bool allowed = true) : FakeTest(ExplicitBind(allowed)) {}
  ULONG64 CreateTcpBlock() {
    ULONG64 token = 0;
    EXPECT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(kFirst), kCount, &token),
              static_cast<ULONG>(NO_ERROR));
    return token;
  }
};

class PersistentExplicitBindForbidden : public PersistentExplicitBind {
 protected:
  PersistentExplicitBindForbidden() : PersistentExplicitBind(false) {}
};

TEST(PersistentExplicitBindOption, Default_IsOn_Observed) {
  EXPECT_TRUE(FakeHostOptions().persistent_blocks_allow_explicit_bind);
}

TEST_F(PersistentExplicitBind, On_ExplicitBindIntoTheBlock_Succeeds_Observed) {
  CreateTcpBlock();
  EXPECT_EQ(Bind(api(), OpenTcp(api()), kFirst + 3), 0);
}

TEST_F(PersistentExplicitBindForbidden, Off_ExplicitBindIntoTheBlock_FailsWithWsaeacces_Observed) {
  CreateTcpBlock();
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Bind(api(), s, kFirst + 3), WSAEACCES);
  EXPECT_EQ(Bind(api(), s, kFirst + 3), WSAEACCES) << "the failed bind left it unbound";
  EXPECT_EQ(Bind(api(), s, kFirst + kCount), 0) << "the port after the block is free";
}

TEST_F(PersistentExplicitBindForbidden, Off_AssociatedSocketBindsInsideTheBlock_Observed) {
  const ULONG64 token = CreateTcpBlock();
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Associate(api(), s, token), 0);
  EXPECT_EQ(Bind(api(), s, kFirst + 3), 0);
}

TEST_F(PersistentExplicitBindForbidden, Off_SocketAssociatedWithAnotherBlock_FailsWithWsaeacces) {
  CreateTcpBlock();
  const Acquired other = Acquire(api(), OpenTcp(api()), kFirst + 100, 4);
  ASSERT_EQ(other.error, 0);
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Associate(api(), s, other.token()), 0);
  EXPECT_EQ(Bind(api(), s, kFirst + 3), WSAEACCES);
}

TEST_F(PersistentExplicitBindForbidden, Off_OtherProtocolBindsThosePortsFreely) {
  CreateTcpBlock();
  EXPECT_EQ(Bind(api(), OpenUdp(api()), kFirst + 3), 0);
}

}  // namespace
}  // namespace portres::testing_fake
