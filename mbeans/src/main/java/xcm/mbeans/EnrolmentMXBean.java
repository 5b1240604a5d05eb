package xcm.mbeans;

import java.util.List;

/**
 * {@code xcm:type=Enrolment} on the coordinator: the hosts that asked to join and wait for an
 * operator, and the hosts whose certificates the cluster's authority issued.
 */
@Description(
    "Host enrolment: requests waiting for an operator's approval, enrolled hosts, one-time"
        + " enrolment tokens")
public interface EnrolmentMXBean {
  @Description(
      "Hosts that asked to join and wait for an operator: name, agent URL, libvirt host UUID, the"
          + " fingerprint of the key they presented, where the request came from, when")
  List<PendingEnrolment> getPending();

  @Description(
      "Hosts enrolled: name, libvirt host UUID, certificate fingerprint and serial, agent URL,"
          + " since when, until when the certificate is valid")
  List<EnrolledHost> getEnrolled();

  @Description(
      "Approves a waiting host: its certificate is issued and the agent picks it up at its next"
          + " request. Returns the fingerprint approved. Check it against the one the agent logged")
  String approve(
      @Param(name = "host", value = "host name") String host,
      @Param(
              name = "fingerprint",
              value = "the key's fingerprint (or its start); empty when only one request waits")
          String fingerprint);

  @Description("Rejects every waiting request of a host name")
  void reject(@Param(name = "host", value = "host name") String host);

  @Description(
      "Issues a one-time enrolment token for exactly one host name: an agent presenting it joins"
          + " without waiting for approval, once, before it expires. Shown only now")
  String issueToken(
      @Param(name = "host", value = "host name the token is for") String host,
      @Param(name = "validMinutes", value = "minutes until it expires (1 to 10080)")
          int validMinutes);
}
