// Package scheduling books, moves and cancels appointments (policy §6,
// "Intake, booking and appointments"; §7 for availability and leave). It is
// shared by the staff mutations (createAppointment, rescheduleAppointment,
// cancelAppointment) and the anonymous online booking path, so that both
// keep the same two promises:
//
//   - two live appointments of one practitioner never overlap: the
//     practitioner's member row is locked before the check and the write
//     (LockPractitioner), and on PostgreSQL the exclusion constraint
//     appointment_no_overlap refuses whatever slips past; either way the
//     answer is the same CONFLICT;
//   - a time outside the practitioner's weekly availability, or during their
//     leave, is booked only on purpose (OutsideAvailability).
//
// Every check reads past privacy, because it must count appointments of
// clients the caller cannot see (policy §7: capacity counts every client);
// it reads only times and never returns a row. The write itself goes
// through the client given, so that privacy decides it: the caller passes
// the viewer's context (effective SCHEDULING EDIT on the client, policy §6)
// or, for the anonymous path, a bypass context of its own.
//
// The context must name the practice (a viewer, or viewer.WithPractice):
// nothing here reaches a practitioner of another practice (policy §1).
//
// Times are always passed to queries in UTC: SQLite compares times as text.
package scheduling
