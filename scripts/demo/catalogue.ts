/** A generated demo catalogue: GPS sport watches and their reviews, deterministic for a given seed. */

import { seededRandom } from '../../lib/random.js';

export interface DemoProduct { sku: string; name: string; brand: string; category: string; quality: number }
export interface DemoReview { sku: string; rating: number; title: string; text: string; author: string; locale: string; createdAt: string; externalId: string }

export const DEMO_PRODUCTS: DemoProduct[] = [
  { sku: 'NP-TRAIL-2', name: 'Northpeak Trail 2 GPS Watch', brand: 'Northpeak', category: 'sport-watch', quality: 0.8 },
  { sku: 'NP-ROAD-1', name: 'Northpeak Road 1 Running Watch', brand: 'Northpeak', category: 'sport-watch', quality: 0.6 },
  { sku: 'SV-PACER-5', name: 'Stridevue Pacer 5', brand: 'Stridevue', category: 'sport-watch', quality: 0.7 },
  { sku: 'SV-ULTRA-X', name: 'Stridevue Ultra X Solar', brand: 'Stridevue', category: 'sport-watch', quality: 0.85 },
  { sku: 'KO-LITE', name: 'Kora Lite Fitness Watch', brand: 'Kora', category: 'sport-watch', quality: 0.45 },
  { sku: 'KO-SWIM-3', name: 'Kora Swim 3 Multisport', brand: 'Kora', category: 'sport-watch', quality: 0.55 },
];

const praise: Record<string, string[]> = {
  battery: ['Strong battery, it lasts a full week of training.', 'The battery life is excellent.', 'Battery easily gets me through two marathons.', 'Charging is quick and the battery holds up well.'],
  gps: ['Accurate GPS, it locks on in seconds.', 'The GPS tracking is spot on, even under trees.', 'Distance and pace are very accurate.'],
  comfort: ['Comfortable enough to wear all night.', 'The strap is soft and comfortable.', 'Light and comfortable on long runs.'],
  ease: ['Super easy to use.', 'Setup took two minutes and the menus are simple.', 'The buttons are intuitive and easy to press with gloves.'],
  display: ['The screen is bright and readable in full sun.', 'Crisp display with big numbers.'],
  heart: ['Heart rate readings match my chest strap.', 'The heart rate sensor is reliable.'],
  app: ['The app syncs instantly and the training plans are great.', 'Syncing with my phone just works.'],
  general: ['Great for runners.', 'Best watch I have owned.', 'Worth every penny.', 'I love it.'],
};

const complaints: Record<string, string[]> = {
  battery: ['The battery drains in a day with GPS on.', 'Battery life could be better.', 'It needs charging far too often.'],
  gps: ['The GPS drifts badly in the city.', 'Distance is off by almost a kilometre on every run.', 'GPS takes ages to find a signal.'],
  comfort: ['The strap gave me a rash.', 'It is bulky and uncomfortable at night.'],
  ease: ['The menus are confusing.', 'Setup was a nightmare.'],
  display: ['The screen is hard to read in sunlight.', 'The display scratched within a week.'],
  heart: ['Heart rate jumps around and is not accurate.', 'The heart rate sensor is useless during intervals.'],
  app: ['The app keeps losing the connection.', 'Sync fails half the time.'],
  general: ['Could be better.', 'Not worth the price.', 'Disappointed, I returned it.', 'It stopped working after a month.'],
};

const titles = { good: ['Love it', 'Great watch', 'Does the job', 'Excellent'], mixed: ['Good but not perfect', 'Mixed feelings', 'Okay'], bad: ['Disappointed', 'Not recommended', 'Could be better'] };
const authors = ['Alex', 'Sam', 'Jordan', 'Maria', 'Priya', 'Tom', 'Lena', 'Chen', 'Fatima', 'Luca', 'Noah', 'Emma'];
const foreign = [
  { locale: 'de-DE', text: 'Die Uhr ist super, der Akku hält lange und das GPS ist genau.' },
  { locale: 'es-ES', text: 'El reloj es muy cómodo y la batería dura mucho.' },
  { locale: 'fr-FR', text: 'La montre est précise mais la batterie pourrait être meilleure.' },
];

/**
 * The demo's one story: a firmware update for the Pacer 5 went out a few days ago and broke GPS and battery life.
 * A share of its reviews fall in the alert windows (the last 7 days, the 28 before) so that the recent complaints raise alerts.
 */
export const FIRMWARE_STORY = { sku: 'SV-PACER-5', recentShare: 0.2, complaintShare: 0.85, baselineShare: 0.3 } as const;
const firmwareComplaints = {
  gps: ['Since the last firmware update the GPS cuts out in the middle of my runs.', 'Since the update the GPS drops out every few minutes and my distances are wrong.', 'The latest firmware made the GPS useless, half of my route is missing.'],
  battery: ['The update ruined the battery, it went from a week to a single day.', 'After the update the battery is flat before my long run is over.', 'After the firmware update the battery is empty by lunchtime.'],
  general: ['Very disappointed with this update.', 'The latest update made this watch worse.', 'I am waiting for a fix before I trust it on a race again.'],
};
const firmwareTitles = ['Update broke it', 'Firmware trouble', 'Was great until the update'];
const DAY_MS = 86_400_000;

/**
 * `count` reviews spread over the demo products, their tone following each product's quality, dated over the last year.
 * The story product's reviews are then placed and rewritten by a second generator, so every other product's reviews stay as they were.
 */
export function generateReviews(count: number, seed = 42, now = Date.now()): DemoReview[] {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const aspects = Object.keys(praise);
  const story = seededRandom(seed * 31 + 7);
  const pickStory = <T>(list: readonly T[]): T => list[Math.floor(story() * list.length)]!;
  const tell = (review: DemoReview): DemoReview => {
    if (review.sku !== FIRMWARE_STORY.sku) return review;
    const place = story();
    if (place < FIRMWARE_STORY.recentShare) {
      // Within the last 6 days, and at least an hour ago: inside the recent window whatever the time of day.
      const createdAt = new Date(now - 3_600_000 - Math.floor(story() * 5 * DAY_MS)).toISOString();
      if (story() >= FIRMWARE_STORY.complaintShare) return { ...review, createdAt };
      const [first, second] = story() < 0.6 ? [firmwareComplaints.gps, firmwareComplaints.battery] : [firmwareComplaints.battery, firmwareComplaints.gps];
      const text = [pickStory(first), ...(story() < 0.35 ? [pickStory(second)] : []), ...(story() < 0.7 ? [pickStory(firmwareComplaints.general)] : [])].join(' ');
      return { ...review, createdAt, locale: 'en-US', text, title: pickStory(firmwareTitles), rating: story() < 0.6 ? 1 : 2 };
    }
    if (place < FIRMWARE_STORY.recentShare + FIRMWARE_STORY.baselineShare) {
      // Days 8 to 33 ago: inside the 28-day baseline, clear of both of its edges.
      return { ...review, createdAt: new Date(now - Math.floor((8 + story() * 25) * DAY_MS)).toISOString() };
    }
    return review;
  };
  const generateOne = (i: number): DemoReview => {
    const product = DEMO_PRODUCTS[i % DEMO_PRODUCTS.length]!;
    const createdAt = new Date(now - Math.floor(next() * 365 * 86_400_000)).toISOString();
    if (next() < 0.03) {
      const review = pick(foreign);
      return { sku: product.sku, rating: 4, title: 'Review', text: review.text, author: pick(authors), locale: review.locale, createdAt, externalId: `demo-${seed}-${i}` };
    }
    const mood = next() * 0.6 + product.quality * 0.7 - 0.15;
    const sentences: string[] = [];
    const topics = [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(aspects)))];
    for (const topic of topics) sentences.push(next() < mood ? pick(praise[topic]!) : pick(complaints[topic]!));
    const good = sentences.filter((s) => Object.values(praise).some((list) => list.includes(s))).length / sentences.length;
    const rating = Math.max(1, Math.min(5, Math.round(1 + good * 4 + (next() - 0.5))));
    const title = pick(rating >= 4 ? titles.good : rating === 3 ? titles.mixed : titles.bad);
    return { sku: product.sku, rating, title, text: sentences.join(' '), author: pick(authors), locale: 'en-US', createdAt, externalId: `demo-${seed}-${i}` };
  };
  return Array.from({ length: count }, (_, i) => tell(generateOne(i)));
}

/** Every complaint sentence the catalogue writes about `aspect` (the everyday ones and the firmware story's). */
export function complaintsAbout(aspect: 'gps' | 'battery'): string[] {
  return [...complaints[aspect]!, ...firmwareComplaints[aspect]];
}
