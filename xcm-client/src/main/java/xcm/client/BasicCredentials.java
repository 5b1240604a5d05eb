package xcm.client;

/** One user and password for every callee: {@link Credentials#basic}. */
record BasicCredentials(String header, String user, String description) implements Credentials {

  @Override
  public String authorization(String url) {
    return header;
  }

  @Override
  public String toString() {
    return "Credentials[user=" + user + ", password=***]";
  }
}
