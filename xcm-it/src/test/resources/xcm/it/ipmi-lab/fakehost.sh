#!/bin/bash
# simulated host: own session/process group ($$ = PGID); drop fds inherited from ipmi_sim
for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
echo $$ > @LAB@/hosts/$1.pid
sleep infinity & sleep infinity & wait
