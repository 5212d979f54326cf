#include "card_harness.hpp"

#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"

namespace mplsec::test {

const char* const kPeConfig = R"(
device: model
ports:
  - {id: 0, mac: "02:00:00:00:00:01", vrf: blue}
  - {id: 1, mac: "02:00:00:00:01:01", mtu: 1500}
addresses: ["192.0.2.1", "2001:db8::1"]
nexthops:
  - {name: p1, port: 1, mac: "02:00:00:00:02:01"}
  - {name: ce1, port: 0, mac: "02:00:00:00:03:01", vlan: 10}
ilm:
  - {label: 100, action: swap, out_labels: [200], nexthop: p1, ports: [1]}
  - {label: 101, action: swap, out_labels: [201, 202, 203], nexthop: p1, ports: [1], tc: 5}
  - {label: 102, action: pop, nexthop: p1, ports: [1]}
  - {label: 103, action: pop, nexthop: p1, ports: [1], ttl: pipe}
  - {label: 16,  action: pop-lookup, vrf: blue, ports: [1]}
  - {label: 17,  action: pop-lookup, vrf: red, ports: [1]}
  - {label: 18,  action: pop-lookup, vrf: blue, ports: [1], ttl: pipe}
  - {label: 104, action: punt, ports: [1]}
  - {label: 105, action: drop, ports: [1]}
vrfs:
  - name: blue
    routes:
      - {prefix: "10.2.0.0/16", nexthop: p1, push: [300, 16]}
      - {prefix: "10.2.3.0/24", nexthop: p1, push: [301]}
      - {prefix: "10.1.0.0/16", nexthop: ce1}
      - {prefix: "10.9.0.0/16", nexthop: p1, push: [300, 16], sa: to-pe2}
      - {prefix: "2001:db8:2::/48", nexthop: p1, push: [300, 16]}
      - {prefix: "2001:db8:1::/48", nexthop: ce1}
  - name: red
    require_esp: true
    routes:
      - {prefix: "10.1.0.0/16", nexthop: ce1}
sas:
  - {name: to-pe2, dir: out, spi: 0x1001, cipher: aes-256-gcm,
     key: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", salt: "01020304",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}}
)";

CardHarness::CardHarness(const std::string& device, const std::string& config_yaml) {
    const config::Config config = config::load_string(config_yaml, "test.yaml");
    device_ = drivers::open_device(device);
    const drivers::Identity id = device_->check_identity();
    image_ = tables::compile(config, id.clock_khz);
    runtime::apply_image(*device_, image_);
}

Output CardHarness::run(uint8_t port, const std::vector<Bytes>& frames) {
    for (const Bytes& f : frames) device_->port_send(port, f);
    Output out;
    out.sent = device_->port_run();
    while (auto p = device_->pop_punt()) out.punted.push_back(std::move(*p));
    return out;
}

uint64_t CardHarness::reason_count(regs::Reason reason) {
    return device_->counter(regs::CounterBank::reason, static_cast<uint32_t>(reason)).packets;
}

}  // namespace mplsec::test
