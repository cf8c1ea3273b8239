import { MyAvailability } from '@telemed/web-ui';

/** `/availability`: weekly hours and leave, read-only (administrators set them). */
export function AvailabilityPage() {
  return <MyAvailability />;
}
