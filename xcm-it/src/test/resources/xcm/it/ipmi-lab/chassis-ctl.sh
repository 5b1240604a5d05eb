#!/bin/sh
# ipmi_sim chassis_control program; called as: <args from lan.conf> get power
#   | set power "0"|"1" | set reset "1".  $1 = host name.
host=$1 op=$2; shift 2; ctl=@LAB@/bin/host-ctl.sh
echo "$(date +%T.%N) $host $op $*" >> @LAB@/hosts/$host.bmc.log
case $op in
  get) for p; do case $p in
         power) [ "$($ctl $host status)" = on ] && echo power:1 || echo power:0 ;;
         boot) echo boot:default ;;
         *) echo "bad parm $p"; exit 1 ;; esac; done ;;
  set) while [ $# -ge 2 ]; do case $1 in
         power) if [ "$2" = 1 ]; then $ctl $host start; else $ctl $host stop; fi || exit 1 ;;
         reset) { $ctl $host stop && $ctl $host start; } || exit 1 ;;
       esac; shift 2; done ;;
  *) exit 1 ;;
esac
