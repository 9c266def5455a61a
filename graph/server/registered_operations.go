package server

// builtinOperations are the operations the server registers itself in
// trusted-documents mode: the playground's own (its sign-in and the
// signed-in check) and one of each anonymous operation (policy §11 and
// sign-in), so that sign-in, sign-up, invitations, intake forms and online
// booking keep working for front ends that send these texts (or their
// hashes, listed in docs/anonymous-operations.json). Each is one document,
// whose SHA-256 is its key.
var builtinOperations = []string{
	// The playground (graph/playground/assets/playground.js).
	`mutation($email:String!,$password:String!){ login(email:$email,password:$password){ token member { name } } }`,
	`query { viewer { name } }`,
	// Sign-in, sign-up and invitations.
	`mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt member { id name } } }`,
	`mutation SignUp($practiceName: String!, $name: String!, $email: String!, $password: String!) { signUp(practiceName: $practiceName, name: $name, email: $email, password: $password) { token expiresAt member { id name } } }`,
	`mutation AcceptInvitation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token expiresAt member { id name } } }`,
	// Codes sent by email: password resets and confirmed sign-ups.
	`mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }`,
	`mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) { token expiresAt member { id name } } }`,
	`mutation RequestSignUp($practiceName: String!, $name: String!, $email: String!) { requestSignUp(practiceName: $practiceName, name: $name, email: $email) }`,
	`mutation ConfirmSignUp($token: String!, $password: String!) { confirmSignUp(token: $token, password: $password) { token expiresAt member { id name } } }`,
	// Intake forms.
	`query PublicIntakeForm($token: String!) { publicIntakeForm(token: $token) { practiceName name questions { key label kind required options } } }`,
	`mutation SubmitIntakeForm($token: String!, $answers: [IntakeAnswerInput!]!, $idempotencyKey: String!) { submitIntakeForm(token: $token, answers: $answers, idempotencyKey: $idempotencyKey) { receivedAt } }`,
	// Online booking.
	`query PublicBookingPage($slug: String!) { publicBookingPage(slug: $slug) { practiceName timeZone practitioners { id name } appointmentTypes { name minutes } minimumNoticeMinutes horizonDays } }`,
	`query PublicOpenSlots($slug: String!, $practitionerId: ID!, $appointmentType: String!, $from: Time!, $to: Time!) { publicOpenSlots(slug: $slug, practitionerId: $practitionerId, appointmentType: $appointmentType, from: $from, to: $to) }`,
	`mutation BookAppointment($slug: String!, $practitionerId: ID!, $appointmentType: String!, $startsAt: Time!, $client: BookingClientInput!, $idempotencyKey: String!) { bookAppointment(slug: $slug, practitionerId: $practitionerId, appointmentType: $appointmentType, startsAt: $startsAt, client: $client, idempotencyKey: $idempotencyKey) { practiceName practitionerName appointmentType startsAt endsAt status manageToken } }`,
	`query PublicBooking($manageToken: String!) { publicBooking(manageToken: $manageToken) { practiceName practitionerName appointmentType startsAt endsAt status } }`,
	`mutation CancelBooking($manageToken: String!) { cancelBooking(manageToken: $manageToken) { practiceName practitionerName appointmentType startsAt endsAt status } }`,
	`mutation RescheduleBooking($manageToken: String!, $startsAt: Time!) { rescheduleBooking(manageToken: $manageToken, startsAt: $startsAt) { practiceName practitionerName appointmentType startsAt endsAt status } }`,
}
