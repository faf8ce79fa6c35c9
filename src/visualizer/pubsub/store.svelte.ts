/**
 * The last PUBLISH the consoles ran (src/ui/clients): the pub/sub view in the visualizer area draws
 * it until another command is shown.
 */
import type { PublishDelivery } from '../../worker/api';

class PubsubCurrent {
  delivery = $state.raw<PublishDelivery | null>(null);
  /** Bumps on every PUBLISH so the animation replays for the same message. */
  seq = $state(0);
  show(d: PublishDelivery): void {
    this.delivery = d;
    this.seq++;
  }
  clear(): void {
    this.delivery = null;
  }
}

export const pubsubCurrent = new PubsubCurrent();
