module example.com/go-httpd

go 1.22
