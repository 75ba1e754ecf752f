/**
 * Endpoint syntax SNS subscriptions accept, shared by the config schema and the notification
 * components, so a value the config accepts never fails in a component.
 */

/** An e-mail address SNS accepts: name@domain.tld. */
export const EMAIL_PATTERN = /^[^\s@"<>]+@[^\s@"<>]+\.[A-Za-z]{2,}$/;
/** An https endpoint with a host. */
export const HTTPS_URL_PATTERN = /^https:\/\/[^\s/]+\S*$/;
