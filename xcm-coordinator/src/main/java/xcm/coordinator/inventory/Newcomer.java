package xcm.coordinator.inventory;

/**
 * What a round heard from an agent URL that is no member yet: the host it reports ({@code data}),
 * or why it is still waited for ({@code data} null, {@code reason} set). {@link Inventory#admit}
 * takes a round's newcomers at once.
 */
public record Newcomer(String url, HostData data, String reason) {
  public static Newcomer joins(String url, HostData data) {
    return new Newcomer(url, data, null);
  }

  public static Newcomer waiting(String url, String reason) {
    return new Newcomer(url, null, reason);
  }
}
