export const INVOKE_CHANNEL = 'spamlab:call';
export const EVENT_CHANNEL = 'spamlab:event';
