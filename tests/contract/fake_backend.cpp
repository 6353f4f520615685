// The contract suites on the fake: one FakeHost per test, shared by the process under test, a
// second process, an unelevated process and iphlpapi, so every multi-process test runs.
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>

#include <memory>
#include <string>
#include <vector>

#include "backend.h"
#include "contract_test.h"

namespace portres::contract {
namespace {

class FakeBackend final : public Backend {
 public:
  ISocketIoctl& Api() override { return api_; }
  std::unique_ptr<ISocketIoctl> OtherProcess() override {
    return std::make_unique<FakeSocketIoctl>(host_);
  }
  std::unique_ptr<ISocketIoctl> UnelevatedProcess() override {
    FakeProcessOptions unelevated;
    unelevated.elevated = false;
    return std::make_unique<FakeSocketIoctl>(host_, unelevated);
  }
  IIpHelper* IpHelper() override { return &ip_helper_; }
  std::unique_ptr<IIpHelper> UnelevatedIpHelper() override {
    FakeIpHelperOptions unelevated;
    unelevated.elevated = false;
    return std::make_unique<FakeIpHelper>(host_, unelevated);
  }
  void Reboot() override { host_->Reboot(); }
  std::string SkipReason(Feature feature) const override {
    if (feature == Feature::kAddressSpecificBinds) {
      return "the fake keeps one port space per protocol and no addresses: every bind counts as "
             "a wildcard bind (docs/fidelity.md, simplifications)";
    }
    return {};
  }

 private:
  std::shared_ptr<FakeHost> host_ = std::make_shared<FakeHost>();
  FakeSocketIoctl api_{host_};
  FakeIpHelper ip_helper_{host_};
};

std::vector<BackendFactory> Backends() {
  return {BackendFactory{"Fake", [] { return std::make_unique<FakeBackend>(); }}};
}

}  // namespace

PORTRES_INSTANTIATE_CONTRACT_SUITES(testing::ValuesIn(Backends()));

}  // namespace portres::contract
