#!/bin/sh
# host-ctl.sh HOST start|stop|status
H=@LAB@/hosts; pidf=$H/$1.pid
alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1==g && $2!~/^Z/{n++} END{exit !n}'; }
running() { [ -s "$pidf" ] && pg=$(cat "$pidf") && grep -q fakehost /proc/$pg/cmdline 2>/dev/null && alive $pg; }
case "$2" in
  status) running && echo on || echo off ;;
  start) running && exit 0; rm -f "$pidf"
    setsid /bin/bash @LAB@/bin/fakehost.sh "$1" </dev/null >>$H/$1.log 2>&1 &
    for i in $(seq 50); do running && exit 0; sleep 0.1; done; echo "start failed"; exit 1 ;;
  stop) [ -s "$pidf" ] || exit 0; pg=$(cat "$pidf"); kill -9 -$pg 2>/dev/null
    for i in $(seq 50); do alive $pg || { rm -f "$pidf"; exit 0; }; sleep 0.1; done
    echo "stop failed"; exit 1 ;;
  *) echo "usage: $0 HOST start|stop|status"; exit 1 ;;
esac
