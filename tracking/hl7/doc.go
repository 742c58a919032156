// Package hl7 is the PAS feed: HL7 v2 messages in their ER7 text form, read
// off MLLP-framed TCP connections and answered with original-mode ACKs.
//
// It is an adapter like package web and has no rules of its own: Parse
// reads a message into segments, fields, repetitions, components and
// subcomponents, numbered as HL7 numbers them; a Decoder picks out what
// casetrack cares about (a patient's identity and details, a merge, a
// clinic appointment) into plain structs; a Server takes frames off the
// wire, hands each one to a Handler, and answers with the ACK its outcome
// calls for. Deciding what a message changes is tracking.Service's work,
// reached through the Handler.
//
// Nothing here logs patient data: log lines carry addresses, control ids,
// message types and outcomes only.
package hl7
