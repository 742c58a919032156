module github.com/casetrack/casetrack

go 1.26.8
