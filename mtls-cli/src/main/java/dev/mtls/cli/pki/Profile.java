package dev.mtls.cli.pki;

/** How long the PKI's certificates live unless {@code --days} says otherwise. */
enum Profile {
  /** Development: certificates for 365 days. */
  DEV(365),
  /** Production-like: certificates for 90 days, renewed by {@code pki renew} from cron. */
  PROD(90);

  private final int days;

  Profile(int days) {
    this.days = days;
  }

  int days() {
    return days;
  }
}
