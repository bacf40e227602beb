#!/bin/bash
# xl list -l against upstream's:
#  - of one domain, ours and the reference print the same JSON (our
#    libxl_retrieve_domain_configuration lays the same live values over
#    the stored configuration as upstream's: memory, vCPUs, scheduler
#    parameters, devices), also after those change at run time;
#  - a domain created by OUR xl lists as one created by the reference
#    from the same config (domid, uuid, name and disk image normalised):
#    the same stored defaults, the config's scheduler weight and cap.
# PVH probe guests with a disk and a NIC, and HVM guests (QEMU upstream:
# the vCPUs come from QMP), all created paused.
. "$(dirname "$0")/../lib.sh"

P=hxl-l$$
trap 'for d in $(xlref list | awk "NR>1 && /^$P/ {print \$2}"); do
          xlref destroy $d; done 2>/dev/null
      rm -f /scratch/$P-*.img' EXIT

pvh_cfg() { # NAME
    truncate -s 8M /scratch/$1.img
    probe_cfg $1 'cmdline = "count=0"' 'maxmem = 64' 'maxvcpus = 3' \
        "disk = [ \"format=raw, vdev=xvda, access=rw, target=/scratch/$1.img\" ]" \
        'vif = [ "mac=00:16:3e:4c:00:01,bridge=xenbr0" ]' \
        'cpu_weight = 512' 'cap = 50'
}
hvm_cfg() { # NAME
    local f=$SCRATCH/$1.cfg
    printf '%s\n' "name = \"$1\"" 'type = "hvm"' 'memory = 64' \
        'maxmem = 96' 'vcpus = 1' 'maxvcpus = 2' 'vga = "none"' 'vnc = 0' \
        'nographic = 1' 'serial = "pty"' > "$f"
    echo "$f"
}

# The JSON without what differs between two domains made from one
# config: domid, uuid, name, the disk image.
norm() {
    sed -E -e 's/"domid": [0-9]+/"domid": D/' \
        -e 's/"uuid": "[0-9a-f-]{36}"/"uuid": U/' \
        -e "s/$P-(up|our)-/$P-X-/g"
}
# same_list DESC DOMAIN: our xl and the reference print the same list -l
same_list() {
    xlref list -l "$2" > "$SCRATCH/want" 2>&1
    xl list -l "$2" > "$SCRATCH/got" 2>&1
    same "$1" "$SCRATCH/got" "$SCRATCH/want"
}

for type in pvh hvm; do
    up=$P-up-$type our=$P-our-$type
    check "$type: the reference creates $up paused" \
        xlref create -p "$(${type}_cfg $up)"
    check "$type: our xl creates $our paused" \
        xl create -p "$(${type}_cfg $our)"

    # one domain, both readers
    same_list "$type: list -l of the reference's domain" $up
    same_list "$type: list -l of our domain" $our

    # created by ours vs by the reference: c_info.domid from
    # domid_policy, upstream's disk and NIC defaults (colo_restore_enable,
    # nictype) and the sched params applied at create
    xlref list -l $up | norm > "$SCRATCH/$type-up.json"
    xl list -l $our | norm > "$SCRATCH/$type-our.json"
    same "$type: our domain lists as the reference's" \
        "$SCRATCH/$type-our.json" "$SCRATCH/$type-up.json"
done

# The config's cpu_weight and cap hold from create on, as Xen says.
for d in $P-up-pvh $P-our-pvh; do
    xlref sched-credit2 -d $d > "$SCRATCH/sched" 2>&1
    awk -v d=$d '$1 == d {print $3, $4}' "$SCRATCH/sched" |
        grep -qx '512 50' && ok "pvh: $d has weight 512, cap 50 from its config" \
        || not_ok "pvh: $d has weight 512, cap 50 from its config" \
            "$(cat "$SCRATCH/sched")"
done

# Live changes made through the reference show in both listings.
for d in $P-up-pvh $P-our-pvh; do
    xlref mem-set $d 48m > /dev/null 2>&1
    xlref sched-credit2 -d $d -w 384 -c 25 > /dev/null 2>&1
    xlref vcpu-set $d 2 > /dev/null 2>&1
done
for d in $P-up-pvh $P-our-pvh; do
    same_list "after mem-set, sched-credit2, vcpu-set: list -l $d" $d
done
got=$(xl list -l $P-our-pvh)
echo "$got" | grep -q '"target_memkb": 49152' \
    && ok "mem-set: target_memkb 49152" \
    || not_ok "mem-set: target_memkb 49152" "$(echo "$got" | grep memkb)"
echo "$got" | grep -A3 '"sched_params"' | grep -q '"weight": 384' \
    && ok "sched-credit2: weight 384" || not_ok "sched-credit2: weight 384"
echo "$got" | tr -d ' \n' | grep -q '"avail_vcpus":\[0,1\]' \
    && ok "vcpu-set 2: avail_vcpus [0, 1]" \
    || not_ok "vcpu-set 2: avail_vcpus [0, 1]" \
        "$(echo "$got" | tr -d ' \n' | grep -o '"avail_vcpus":[^]]*]')"

# the whole list, dom0 included
xlref list -l > "$SCRATCH/want"
xl list -l > "$SCRATCH/got"
same "list -l of every domain" "$SCRATCH/got" "$SCRATCH/want"

done_testing
