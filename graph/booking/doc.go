// Package booking is online booking (policy §6, new clients; §11): the
// practice's published settings, the open slots of its bookable
// practitioners, booking one (the appointment and a new client assigned to
// the booked practitioner, in one transaction), and the link that lets the
// person who booked cancel or move their own appointment. The GraphQL
// resolvers and the server's own booking page both call it.
package booking
