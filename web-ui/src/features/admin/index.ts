export * from './AvailabilityPage.js';
export * from './OrganizationsPage.js';
export * from './SchedulingCalendarPage.js';
export * from './UsersPage.js';
