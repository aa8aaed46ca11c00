module example.com/strata/gohello

go 1.22
